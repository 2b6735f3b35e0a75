// What can go wrong when the REST side asks for something, in the domain's words. The REST adapter maps each code
// to the Java driver's status and errorType in one table (src/api/errors.ts).
export type EnvironmentErrorCode =
  | 'NOT_FOUND'
  | 'NOT_READY'
  | 'DEBUG_FAILED'
  | 'DEBUG_TIMEOUT'
  | 'NO_WORKER'
  | 'INVALID_TEMPLATE'
  | 'QUOTA_EXCEEDED'
  | 'TOKEN_FETCH_FAILED'
  | 'CREATE_REFUSED';

export class EnvironmentError extends Error {
  constructor(
    readonly code: EnvironmentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EnvironmentError';
  }
}
