/**
 * Connections spread over a wheel of slots, so that what a timer does for every connection
 * (the heartbeat's ping, the keep-alive) is done one slot per tick instead of for 10,000
 * sockets in one turn of the event loop, which delayed every edit behind it
 * (docs/adr/0016-commit-path.md). A new connection joins the next slot in turn.
 */
export class ConnectionWheel<Member> {
  private readonly slots: Set<Member>[];
  private readonly slotOf = new Map<Member, Set<Member>>();
  private next = 0;

  constructor(readonly size: number) {
    this.slots = Array.from({ length: size }, () => new Set<Member>());
  }

  add(member: Member): void {
    const slot = this.slots[this.next] as Set<Member>;
    this.next = (this.next + 1) % this.size;
    slot.add(member);
    this.slotOf.set(member, slot);
  }

  delete(member: Member): void {
    this.slotOf.get(member)?.delete(member);
    this.slotOf.delete(member);
  }

  /**
   * Turns the wheel once every `periodMs`: each tick (every `periodMs ÷ size`) `visit` gets one
   * slot's members (a copy: a visit may close them) and the slot's index, so each member is
   * visited once per period. Returns what stops it. The timer does not keep the process alive.
   */
  turn(periodMs: number, visit: (members: Member[], slot: number) => void): () => void {
    let tick = 0;
    const timer = setInterval(
      () => {
        const slot = tick;
        tick = (tick + 1) % this.size;
        visit([...(this.slots[slot] as Set<Member>)], slot);
      },
      Math.max(1, periodMs / this.size),
    );
    timer.unref();
    return () => clearInterval(timer);
  }
}
