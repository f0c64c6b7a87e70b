/** "meridian.firm.example" from a server URL, for people; the URL itself when it does not parse. */
export function serverHost(url: string | null | undefined): string {
  if (!url) return 'the central server';
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
