import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, type GraphQLErrorBody } from './errors';
import { getToken } from './token';

/** Subscriptions over `graphql-transport-ws` at `/graphql/ws` on the app's own origin. */
export const WS_PATH = '/graphql/ws';

let client: Client | null = null;

function wsUrl(): string {
  const url = new URL(WS_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** The one shared connection, opened on first use; the token goes in `connection_init`. */
export function liveClient(): Client {
  if (!client) {
    client = createClient({
      url: wsUrl(),
      lazy: true,
      retryAttempts: 5,
      connectionParams: () => {
        const token = getToken();
        return token ? { token } : {};
      },
    });
  }
  return client;
}

/** Closes the connection, e.g. after signing in or out, so the next one carries the new token. */
export function resetLive(): void {
  client?.dispose();
  client = null;
}

/**
 * Runs a typed subscription; `onData` gets each result. Returns the function that ends it.
 */
export function subscribe<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  onError: (error: ApiError) => void,
): () => void {
  return liveClient().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors && result.errors.length > 0) {
          onError(ApiError.fromErrors(result.errors as unknown as GraphQLErrorBody[]));
        } else if (result.data) {
          onData(result.data);
        }
      },
      error: (err) => {
        onError(Array.isArray(err) ? ApiError.fromErrors(err as GraphQLErrorBody[]) : new ApiError('NETWORK'));
      },
      complete: () => {},
    },
  );
}
