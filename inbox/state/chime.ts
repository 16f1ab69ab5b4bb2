// The notification sound: two short tones made with WebAudio, so nothing is fetched and the bundle
// carries no audio file. Browsers keep audio silent until a click on the page: the Sound checkbox's
// click, or after a reload the agent's first click or key press (unlockChime), lets it play.
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  const Context = typeof AudioContext === 'undefined' ? null : AudioContext;
  context = Context ? new Context() : null;
  return context;
}

/** Lets the chime play from now on: to be called from a click or key press (after a reload, the first one). */
export function unlockChime(): void {
  void audio()?.resume().catch(() => {});
}

export function playChime(): void {
  const ctx = audio();
  if (!ctx) return;
  void ctx.resume().catch(() => {}); // still locked until the agent clicks somewhere: stays silent
  const start = ctx.currentTime;
  [880, 1320].forEach((frequency, i) => {
    const tone = ctx.createOscillator();
    const volume = ctx.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    const at = start + i * 0.12;
    volume.gain.setValueAtTime(0.0001, at);
    volume.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
    volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
    tone.connect(volume).connect(ctx.destination);
    tone.start(at);
    tone.stop(at + 0.3);
  });
}
