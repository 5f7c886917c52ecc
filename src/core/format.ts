/** Small display helpers shared by the tree, notifications and the log. Pure. */

/** "54 min left", "1 h 5 min left", "expired". */
export function timeLeft(expiration: Date, now: Date = new Date()): string {
  const ms = expiration.getTime() - now.getTime();
  if (ms <= 0) {
    return 'expired';
  }
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) {
    return 'under 1 min left';
  }
  if (minutes < 60) {
    return `${minutes} min left`;
  }
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h left` : `${h} h ${m} min left`;
}

/** A role session name AWS accepts: 2–64 chars of [\w+=,.@-]. */
export function roleSessionName(profile: string, now: Date = new Date()): string {
  const safe = profile.replace(/[^\w+=,.@-]/g, '-');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const name = `tendlc-${safe}`.slice(0, 64 - stamp.length - 1);
  return `${name}-${stamp}`;
}

/**
 * Text from outside (an AWS Organizations account name, which may hold any character) as one line: every line
 * break YAML, HCL or Markdown may read (CR, LF, NEL, LS, PS) and every other control character becomes a space, so
 * the text cannot end the comment or line it is written into and start lines of its own.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}
