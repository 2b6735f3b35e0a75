// The Java driver's user-facing message constants (contract §1.6); the suffixes start with a space on purpose.
export const ERROR_MESSAGE_INTRO =
  '\n\nAn error occurred while trying to create a build environment where to run the build. ';
export const EXCEEDED_QUOTA_MESSAGE = `${ERROR_MESSAGE_INTRO} The maximum quota available for the build environments has been exceeded.`;
export const TEMPLATE_PARSE_MESSAGE = `${ERROR_MESSAGE_INTRO} The build environment template could not be parsed into an OpenShift object.`;
export const TIMEOUT_MESSAGE = `${ERROR_MESSAGE_INTRO} The build environment did not become ready in time: the cluster may not have enough free resources.`;
export const POD_FAILED_MESSAGE = `${ERROR_MESSAGE_INTRO}The builder pod failed to start (this could be due to misconfigured or bogus init scripts, or other unknown reasons).`;
