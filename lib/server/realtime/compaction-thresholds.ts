/**
 * When a room's update log is merged into its snapshot, in one place: every
 * threshold trades the rows a loading room must replay against the cost of a
 * compaction (it reads and rewrites the whole room under the room's lock).
 * The collab server's configuration (server/collab/config.ts) takes its
 * defaults from here; server writes (write-server-room.ts) use them directly.
 */
export const compactionThresholds = {
  /**
   * A loaded room compacts in the background once this many rows were
   * appended since it loaded or last compacted (CollabConfig.compactAfterRows).
   */
  whileLoaded: 500,
  /**
   * An unloading room compacts if it appended at least this many rows while
   * loaded (CollabConfig.compactOnUnloadRows), so the next load starts from a
   * snapshot rather than replaying the session's updates one by one.
   */
  onUnload: 20,
  /**
   * A server write (an API request writing a seminar room) compacts the room
   * after its transaction once the log holds this many rows, whether or not
   * any collab process has the room loaded.
   */
  serverWrite: 200,
} as const;
