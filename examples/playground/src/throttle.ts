/**
 * `throttled(fn, ms)`: a function that asks for `fn` to run in an animation frame, at most once
 * every `ms` milliseconds however often it is asked. Training sends a message per step (dozens a
 * second); redrawing the page for each would keep the main thread busy, so the page redraws a few
 * times a second. `flush()` runs a pending call now; `cancel()` drops it.
 */
export interface Throttled {
  (): void;
  flush(): void;
  cancel(): void;
}

export function throttled(fn: () => void, ms: number): Throttled {
  let last = -Infinity, timer: ReturnType<typeof setTimeout> | undefined, frame = 0;
  const run = () => {
    timer = undefined;
    frame = 0;
    last = performance.now();
    fn();
  };
  const request = (() => {
    if (timer !== undefined || frame) return;
    const wait = last + ms - performance.now();
    if (wait <= 0) frame = requestAnimationFrame(run);
    else timer = setTimeout(() => { timer = undefined; frame = requestAnimationFrame(run); }, wait);
  }) as Throttled;
  request.cancel = () => {
    clearTimeout(timer);
    cancelAnimationFrame(frame);
    timer = undefined;
    frame = 0;
  };
  request.flush = () => {
    request.cancel();
    run();
  };
  return request;
}
