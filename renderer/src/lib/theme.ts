/**
 * Dark and light themes. Default: follow the OS (prefers-color-scheme),
 * with an explicit override remembered per machine.
 */
import { useState, useSyncExternalStore } from 'react';
import { load, save } from './storage';

export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function subscribeOs(cb: () => void) {
  const m = media();
  m.addEventListener('change', cb);
  return () => m.removeEventListener('change', cb);
}

export function useTheme(): { theme: Theme; preference: ThemePreference; setPreference: (p: ThemePreference) => void } {
  const [preference, setPref] = useState<ThemePreference>(() => load<ThemePreference>('theme', 'system'));
  const osDark = useSyncExternalStore(subscribeOs, () => media().matches);
  const theme: Theme = preference === 'system' ? (osDark ? 'dark' : 'light') : preference;
  // Set during render (idempotent) so children that read the CSS variables (charts) see the new theme at once.
  if (document.documentElement.dataset.theme !== theme) {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }
  return {
    theme,
    preference,
    setPreference: (p) => {
      save('theme', p);
      setPref(p);
    },
  };
}
