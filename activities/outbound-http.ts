// Every HTTP call the driver makes outside Kubernetes (invoker callback, Indy, Bifrost, Artifactory) goes through
// one function, so the service identity's Authorization (refreshed once on a 401) and the trace context are added
// in one place and cannot be forgotten by the next outbound call.

/** Who the driver is towards the services it calls (contract §0 "Outbound authentication"). */
export interface ServiceIdentity {
  /** The `Authorization` value for the next call, or null to send none. Secret: never log it. */
  authorization(): Promise<string | null>;
  /** The value was answered 401: drop it if it can be renewed. Returns whether a retry may get another value. */
  refused(value: string): boolean;
}

/** A fixed value (`CALLBACK_AUTHORIZATION`, or none): nothing to renew. */
export function staticIdentity(value: string | null): ServiceIdentity {
  return { authorization: async () => value, refused: () => false };
}

/**
 * Runs one outbound attempt inside a client span whose context goes into its headers (`traceparent`,
 * `tracestate`), so the service called joins the environment's trace. Without tracing it just sends.
 */
export type OutboundTracer = (
  request: { method: string; url: string; headers: Headers },
  send: () => Promise<Response>,
) => Promise<Response>;

const untraced: OutboundTracer = (_request, send) => send();

export interface OutboundRequest {
  method: string;
  headers?: Headers;
  /** Sent again as is on the one retry after a 401, so it must be replayable (no streams). */
  body?: string | Uint8Array;
  timeoutMs: number;
  /** Append the service identity's `Authorization` (after any the caller set, as the Java driver appends). */
  serviceAuth: boolean;
}

export type OutboundHttp = (url: string, request: OutboundRequest) => Promise<Response>;

export function createOutboundHttp(identity: ServiceIdentity, traced: OutboundTracer = untraced): OutboundHttp {
  async function send(url: string, request: OutboundRequest, authorization: string | null): Promise<Response> {
    const headers = new Headers(request.headers);
    if (authorization) headers.append('Authorization', authorization);
    const { method } = request;
    return traced({ method, url, headers }, () =>
      fetch(url, { method, headers, body: request.body, signal: AbortSignal.timeout(request.timeoutMs) }),
    );
  }

  return async (url, request) => {
    const authorization = request.serviceAuth ? await identity.authorization() : null;
    const response = await send(url, request, authorization);
    if (response.status !== 401 || !authorization || !identity.refused(authorization)) return response;
    // An expired or revoked service token: one more try with a fresh one, never a loop.
    await response.body?.cancel();
    return send(url, request, await identity.authorization());
  };
}
