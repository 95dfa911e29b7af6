import { t } from '../i18n';

/** One error of a GraphQL answer, as the server sends it. */
export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; retryAfterMs?: number; field?: string; [key: string]: unknown };
}

/**
 * A failed request, carrying the server's `extensions.code` (or `NETWORK` when no
 * answer came) so that screens can say what happened in plain words.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  readonly errors: GraphQLErrorBody[];

  constructor(code: string, errors: GraphQLErrorBody[] = [], retryAfterMs?: number) {
    super(errors[0]?.message ?? code);
    this.name = 'ApiError';
    this.code = code;
    this.errors = errors;
    this.retryAfterMs = retryAfterMs;
  }

  static fromErrors(errors: GraphQLErrorBody[]): ApiError {
    const first = errors[0];
    const code = first?.extensions?.code ?? 'INTERNAL';
    const retry = first?.extensions?.retryAfterMs;
    return new ApiError(code, errors, typeof retry === 'number' ? retry : undefined);
  }
}

/** What to tell the buyer about a failure: never the raw answer. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return t.errors.generic ?? '';
  if (error.code === 'RATE_LIMITED' && error.retryAfterMs !== undefined) {
    return t.rateLimitedWait(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  return t.errors[error.code] ?? t.errors.generic ?? '';
}
