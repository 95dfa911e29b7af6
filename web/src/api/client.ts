import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, type GraphQLErrorBody } from './errors';
import { getToken } from './token';

/** The API lives at the app's own origin (served by `marquee`, or proxied by Vite). */
export const GRAPHQL_PATH = '/graphql';

type Variables<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

/**
 * Sends one typed operation (generated from `schema.graphql`) and returns its data, or
 * throws an `ApiError` named by the server's `extensions.code`.
 */
export async function request<R, V>(
  document: TypedDocumentString<R, V>,
  ...[variables]: Variables<V>
): Promise<R> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('NETWORK');
  }
  let body: { data?: R | null; errors?: GraphQLErrorBody[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status === 429 ? 'RATE_LIMITED' : 'INTERNAL');
  }
  if (body.errors && body.errors.length > 0) throw ApiError.fromErrors(body.errors);
  if (!response.ok || body.data == null) throw new ApiError('INTERNAL');
  return body.data;
}
