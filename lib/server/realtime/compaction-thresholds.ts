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
   * appended since it loaded or last compacted. High, because a live room is
   * already in memory: its log only costs the next process that loads it.
   */
  whileLoaded: 500,
  /**
   * An unloading room compacts if it had at least this many rows, so the next
   * load replays a snapshot rather than a short session's keystrokes one by one.
   */
  onUnload: 20,
  /**
   * A server write compacts the room within the API request once its log
   * holds this many rows: rooms that only the server writes (nobody has them
   * open) never unload through the collab server, so nothing else would.
   */
  serverWrite: 200,
} as const;
