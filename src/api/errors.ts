// The Java driver's error body, `ErrorResponse` (contract §1.6), and the exception names it used as errorType.
import type { EnvironmentError, EnvironmentErrorCode } from '../temporal/environment-errors';

export interface ErrorResponse {
  errorType: string;
  errorMessage: string;
  details: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorType: string,
    message: string,
    readonly details: unknown = null,
    /** Response headers that belong to the error, such as a 401's `WWW-Authenticate` challenge. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ErrorResponse {
    return { errorType: this.errorType, errorMessage: this.message, details: this.details };
  }
}

/** Bad input at the edge. The Java driver had no validation; a named field is the least a caller deserves. */
export const badRequest = (message: string) => new HttpError(400, 'BadRequestException', message);

/** `/create` while shutting down: 503 with no body (StoppingException). */
export class StoppingError extends Error {}

/** Each domain error as the Java driver answered it (or, for additive endpoints, as HTTP expects). */
const ENVIRONMENT_ERRORS: Record<EnvironmentErrorCode, [number, string]> = {
  NOT_FOUND: [404, 'NotFoundException'],
  NOT_READY: [409, 'EnvironmentNotReadyException'],
  DEBUG_FAILED: [500, 'DebugFailedException'],
  DEBUG_TIMEOUT: [504, 'DebugTimeoutException'],
  NO_WORKER: [503, 'TemporarilyUnableToStartException'],
  INVALID_TEMPLATE: [400, 'BadResourcesRequestException'],
  QUOTA_EXCEEDED: [503, 'QuotaExceededException'],
  TOKEN_FETCH_FAILED: [500, 'DriverException'],
  CREATE_REFUSED: [400, 'UnableToRequestResourcesException'],
};

export function httpError(error: EnvironmentError): HttpError {
  const [status, errorType] = ENVIRONMENT_ERRORS[error.code];
  return new HttpError(status, errorType, error.message);
}
