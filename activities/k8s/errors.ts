// One table that turns Kubernetes API errors into what the driver does about them (DESIGN §5).
import { ApplicationFailure } from '@temporalio/common';
import { CREATE_REFUSED, QUOTA_EXCEEDED } from '../../workflows/definitions';
import { EXCEEDED_QUOTA_MESSAGE } from '../messages';
import { ApiException } from './client';

export type KubeErrorKind = 'AlreadyExists' | 'NotFound' | 'Invalid' | 'QuotaExceeded' | 'Forbidden' | 'Retryable';

export interface ClassifiedKubeError {
  kind: KubeErrorKind;
  code: number | null;
  reason: string | null;
  message: string;
}

function statusBody(error: ApiException<unknown>): { reason?: string; message?: string } {
  const body = error.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as { reason?: string; message?: string };
    } catch {
      return { message: body };
    }
  }
  return (body ?? {}) as { reason?: string; message?: string };
}

export function classifyKubeError(error: unknown): ClassifiedKubeError {
  if (!(error instanceof ApiException)) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'Retryable', code: null, reason: null, message }; // network, TLS, timeouts
  }
  const { reason = null, message = error.message } = statusBody(error);
  const classified = (kind: KubeErrorKind): ClassifiedKubeError => ({ kind, code: error.code, reason, message });
  if (error.code === 409 && reason === 'AlreadyExists') return classified('AlreadyExists');
  if (error.code === 404) return classified('NotFound');
  if (error.code === 400 || error.code === 422) return classified('Invalid');
  if (error.code === 403 && /exceeded quota/i.test(message)) return classified('QuotaExceeded');
  if (error.code === 401 || error.code === 403) return classified('Forbidden');
  return classified('Retryable'); // 409 Conflict, 429, 5xx
}

/** The failure an activity throws for a create call the apiserver refused. */
export function createFailure(error: unknown, what: string): Error {
  const classified = classifyKubeError(error);
  switch (classified.kind) {
    case 'QuotaExceeded':
      return ApplicationFailure.nonRetryable(EXCEEDED_QUOTA_MESSAGE, QUOTA_EXCEEDED, { cause: classified.message });
    case 'Invalid':
    case 'Forbidden':
    case 'AlreadyExists': // someone else's object with our name
      return ApplicationFailure.nonRetryable(classified.message, CREATE_REFUSED, { what, code: classified.code });
    default:
      return ApplicationFailure.retryable(`${what}: ${classified.message}`, 'KUBERNETES_UNAVAILABLE');
  }
}
