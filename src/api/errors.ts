// The Java driver's error body, `ErrorResponse` (contract §1.6), and the exception names it used as errorType.
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
