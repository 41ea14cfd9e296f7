/**
 * Names of external resources, one breaker each: the same server gets the same name on every worker (so an open
 * breaker can be shared through Redis), and a name never holds a user or password (it is logged and a metric
 * label).
 */

const hostPort = (u: URL, defaultPort: number): string => `${u.hostname || 'localhost'}:${u.port || defaultPort}`;

/** `postgres://host:port/database` of a connection string (a socket directory stands for the host). */
export function postgresResource(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    const socketHost = u.searchParams.get('host');
    const host = u.hostname ? hostPort(u, 5432) : `${socketHost ?? 'localhost'}:${u.port || 5432}`;
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
    return `postgres://${host}/${db}`;
  } catch {
    return 'postgres://(unparsable connection string)';
  }
}

/** `redis://host:port` (the database number does not change which server answers). */
export function redisResource(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol === 'rediss:' ? 'rediss' : 'redis'}://${hostPort(u, 6379)}`;
  } catch {
    return 'redis://(unparsable url)';
  }
}

/** The origin of an HTTP URL: `https://api.example.com` or `http://127.0.0.1:8080`. */
export function httpResource(url: string): string {
  return new URL(url).origin;
}
