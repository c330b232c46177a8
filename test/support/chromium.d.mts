/** The Chrome or Chromium binary to use, or undefined. CHROME_PATH wins when set. */
export function findChromium(): string | undefined;
/** Like findChromium, but installs Debian's chromium when running as root with apt-get. */
export function ensureChromium(): string;
