/** Connection URLs in logs and messages: never with their password. */

/** `postgres://user:secret@host/db` as `postgres://user:***@host/db`; text that is not a URL is returned as is. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]+):[^@]*@/, '://$1:***@');
  }
}
