/**
 * The reference client's default address: `ws[s]://<page host>/ws`, secure
 * when the page is. Only meaningful in a browser.
 */
export function defaultUrl(): string {
  const { protocol, host } = globalThis.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`;
}

/**
 * Browsers let a page close a WebSocket only with 1000 or 3000–4999, so the
 * protocol-level codes a peer picks (1002, 1007, 1009, …) travel as 4000 plus
 * their last three digits.
 */
export function browserCloseCode(code: number): number {
  return code === 1000 || (code >= 3000 && code <= 4999) ? code : 4000 + (code % 1000);
}
