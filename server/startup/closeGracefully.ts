import type { Server } from "node:http";

/**
 * Stops accepting connections, closes idle keep-alive ones, and waits for requests in flight to
 * finish; connections still busy after `timeoutMs` are closed.
 */
export async function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // A keep-alive connection that finishes its request becomes idle; close those as they appear.
  const sweeper = setInterval(() => server.closeIdleConnections(), 100);
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  try {
    await closed;
  } finally {
    clearInterval(sweeper);
    clearTimeout(timer);
  }
}
