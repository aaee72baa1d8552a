// Keeps the last N characters a child process wrote, so a failure can show what the process said
// without holding its whole log in memory.

export class OutputTail {
  private chunks: string[] = [];
  private length = 0;

  constructor(private readonly maxChars = 64 * 1024) {}

  append(text: string): void {
    this.chunks.push(text);
    this.length += text.length;
    while (this.length > this.maxChars && this.chunks.length > 1) {
      const dropped = this.chunks.shift() ?? '';
      this.length -= dropped.length;
    }
  }

  toString(): string {
    const all = this.chunks.join('');
    return all.length > this.maxChars ? all.slice(all.length - this.maxChars) : all;
  }
}

/** The last `maxLines` lines of `text`, for error messages. */
export function lastLines(text: string, maxLines = 40): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(Math.max(0, lines.length - maxLines)).join('\n');
}
