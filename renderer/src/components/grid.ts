/**
 * AG Grid set-up: the community modules, the two themes (themeQuartz with
 * the colour-scheme parts, no CSS files), the CSP nonce for the styles the
 * theming API injects, and remembered column state.
 */
import { AllCommunityModule, ModuleRegistry, colorSchemeDark, colorSchemeLight, themeQuartz, type ColumnState, type GridApi } from 'ag-grid-community';
import type { Theme } from '../lib/theme';
import { load, save } from '../lib/storage';

ModuleRegistry.registerModules([AllCommunityModule]);

const base = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 12,
  headerFontSize: 11.5,
  headerFontWeight: 600,
  rowHeight: 26,
  headerHeight: 30,
  spacing: 5,
  cellHorizontalPadding: 10,
  wrapperBorder: false,
  wrapperBorderRadius: 0,
  borderRadius: 3,
  columnBorder: false,
  headerColumnBorder: true,
  pinnedRowFontWeight: 650,
  iconSize: 12,
});

export const gridThemes: Record<Theme, typeof base> = {
  light: base.withPart(colorSchemeLight).withParams({
    backgroundColor: '#ffffff',
    foregroundColor: '#161b22',
    headerTextColor: '#5b6573',
    headerBackgroundColor: '#f7f8fa',
    chromeBackgroundColor: '#f7f8fa',
    borderColor: '#e3e6eb',
    accentColor: '#1f5bd8',
    oddRowBackgroundColor: '#fbfbfd',
    rowHoverColor: '#f1f4f9',
    selectedRowBackgroundColor: '#e4ecfc',
    pinnedRowBackgroundColor: '#f3f5f8',
  }),
  dark: base.withPart(colorSchemeDark).withParams({
    backgroundColor: '#12161d',
    foregroundColor: '#e4e8ee',
    headerTextColor: '#8b95a4',
    headerBackgroundColor: '#171c24',
    chromeBackgroundColor: '#171c24',
    borderColor: '#252c37',
    accentColor: '#4d8dff',
    oddRowBackgroundColor: '#141922',
    rowHoverColor: '#1b2230',
    selectedRowBackgroundColor: '#1a2842',
    pinnedRowBackgroundColor: '#1a1f28',
  }),
};

/** The per-response CSP nonce the host put in <meta name="csp-nonce">. */
export function styleNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;
}

export function restoreColumns(api: GridApi, key: string) {
  const state = load<ColumnState[] | null>(`grid.${key}.columns`, null);
  if (state) api.applyColumnState({ state, applyOrder: true });
}

export function rememberColumns(api: GridApi, key: string) {
  save(`grid.${key}.columns`, api.getColumnState());
}

export function forgetColumns(api: GridApi, key: string) {
  save(`grid.${key}.columns`, undefined);
  api.resetColumnState();
}
