/** The instructor's instruction for a reading, above its text. */
export function Instruction({ text }: { text: string }) {
  return (
    <aside className="reading-instruction" aria-label="Instruction">
      {text}
    </aside>
  );
}
