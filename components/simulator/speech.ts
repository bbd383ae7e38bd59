'use client';

/** The browser's voice for `<Say>` and a soft hold tone, both only while sound is on. */

function synth(): SpeechSynthesis | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
}

/** Speaks the text and resolves when it is done (or after a cap, as some browsers never say so). */
export function speak(text: string, language = 'en-US'): Promise<void> {
  const speech = synth();
  if (!speech || typeof SpeechSynthesisUtterance === 'undefined') return Promise.resolve();
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = language.startsWith('cmn') ? 'zh-CN' : language;
    const cap = window.setTimeout(resolve, Math.min(20_000, 1500 + text.length * 90));
    utterance.onend = utterance.onerror = () => {
      window.clearTimeout(cap);
      resolve();
    };
    speech.speak(utterance);
  });
}

export function stopSpeaking(): void {
  synth()?.cancel();
}

let audio: AudioContext | null = null;

/** Three quiet notes: the simulator's hold music. */
export function holdTone(): void {
  if (typeof window === 'undefined' || typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  const start = audio.currentTime;
  [523.25, 659.25, 783.99].forEach((frequency, i) => {
    const oscillator = audio!.createOscillator();
    const gain = audio!.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + i * 0.35);
    gain.gain.exponentialRampToValueAtTime(0.05, start + i * 0.35 + 0.05);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.35 + 0.32);
    oscillator.connect(gain).connect(audio!.destination);
    oscillator.start(start + i * 0.35);
    oscillator.stop(start + i * 0.35 + 0.34);
  });
}
