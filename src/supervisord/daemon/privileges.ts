/**
 * Dropping privileges for `[supervisord] user=` (spec §12): supplementary groups of the user,
 * then the primary gid, then the uid. Returns an error text in supervisord's words, or null.
 */
export function dropPrivileges(user: { name: string; uid: number; gid: number }): string | null {
  const uid = process.getuid?.() ?? 0;
  if (uid === user.uid) return null;
  if (uid !== 0) return "Can't drop privilege as nonroot user";
  try {
    (process as unknown as { initgroups?: (u: string, g: number) => void }).initgroups?.(user.name, user.gid);
  } catch {
    return "Could not set groups of effective user";
  }
  try {
    process.setgid?.(user.gid);
  } catch {
    return "Could not set group id of effective user";
  }
  try {
    process.setuid?.(user.uid);
  } catch {
    return `Can't find uid ${user.uid}`;
  }
  return null;
}
