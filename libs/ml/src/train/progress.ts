/** A one-line progress bar on stderr (redrawn in place on a TTY, a line every 10% otherwise). */
export class ProgressBar {
  private readonly start = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly width = 30,
  ) {}

  update(done: number, info = ''): void {
    const now = Date.now();
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const decile = Math.floor(frac * 10);
    if (this.tty ? now - this.lastDraw < 100 && done < this.total : decile === this.lastDecile) return;
    this.lastDraw = now;
    this.lastDecile = decile;
    const filled = Math.round(frac * this.width);
    const secs = ((now - this.start) / 1000).toFixed(1);
    const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${secs}s ${info}`;
    process.stderr.write(this.tty ? `\r${line}\u001b[K` : `${line}\n`);
  }

  done(info = ''): void {
    this.update(this.total, info);
    if (this.tty) process.stderr.write('\n');
  }
}
