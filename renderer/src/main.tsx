/** Renderer entry: bridge first, then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProvider } from './app/context';
import { App } from './app/App';
import { installBridge } from './bridge/install';
import { useTheme } from './lib/theme';
import './styles/app.css';

installBridge();

function Root() {
  const { theme, preference, setPreference } = useTheme();
  return (
    <AppProvider theme={theme}>
      <App preference={preference} setPreference={setPreference} />
    </AppProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
