// Search as you type, for every typeahead: a short pause between keystrokes before asking (a fast
// typist sends one request, not ten), the older question aborted when a newer one is asked, and only
// the newest answer handed back.
export class LatestRequest<T> {
  private timer?: ReturnType<typeof setTimeout>;
  private controller?: AbortController;

  constructor(private readonly pauseMs: number) {}

  /** Runs `step` after the pause; a newer call, `now` or `cancel` drops it. */
  later(step: () => void): void {
    this.cancel();
    this.timer = setTimeout(step, this.pauseMs);
  }

  /** Asks at once; `answer` or `fail` runs only if no newer question came since. An abort is no failure. */
  async now(ask: (signal: AbortSignal) => Promise<T>, answer: (result: T) => void, fail: (error: unknown) => void): Promise<void> {
    this.cancel();
    const controller = (this.controller = new AbortController());
    try {
      const result = await ask(controller.signal);
      if (!controller.signal.aborted) answer(result);
    } catch (error) {
      if (controller.signal.aborted || (error instanceof DOMException && error.name === 'AbortError')) return;
      fail(error);
    }
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
  }
}
