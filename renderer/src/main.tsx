/** Renderer entry: bridge first, then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProvider } from './app/context';
import { App } from './app/App';
import { installBridge } from './bridge/install';
import { prefetchFirstPage } from './lib/prefetch';
import { parseRoute } from './lib/router';
import { useTheme } from './lib/theme';
import './styles/app.css';

installBridge();
// Opening on a fund: ask for its first rows now, while the fund screen's code loads.
const opening = parseRoute(location.hash);
if (opening.name === 'fund') {
  prefetchFirstPage(opening.fundId);
  void import('./screens/FundDetail'); // the same module React.lazy loads: fetched and evaluated meanwhile
}

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
