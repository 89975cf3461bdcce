/** A reading's due date, with a machine-readable time. Rendered in UTC on the server for stable output. */
export function DueDate({ date, now = new Date() }: { date: Date; now?: Date }) {
  const isPast = date.getTime() < now.getTime();
  const label = date.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  return (
    <span className={`due-date${isPast ? " due-date-past" : ""}`}>
      {isPast ? "Was due" : "Due"} <time dateTime={date.toISOString()}>{label}</time>
    </span>
  );
}
