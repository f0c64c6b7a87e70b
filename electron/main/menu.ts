/** Builds Electron's application menu from the plain model (./menu-model). */
import type { Menu as MenuClass, MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuCommand, type MenuItemModel, type MenuState } from './menu-model';

export function toElectronTemplate(items: readonly MenuItemModel[], run: (command: MenuCommand) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    const out: MenuItemConstructorOptions = {};
    if (item.id !== undefined) out.id = item.id;
    if (item.label !== undefined) out.label = item.label;
    if (item.role !== undefined) out.role = item.role;
    if (item.type !== undefined) out.type = item.type;
    if (item.accelerator !== undefined) out.accelerator = item.accelerator;
    if (item.enabled !== undefined) out.enabled = item.enabled;
    if (item.checked !== undefined) out.checked = item.checked;
    const command = item.command;
    if (command) out.click = () => run(command);
    if (item.submenu) out.submenu = toElectronTemplate(item.submenu, run);
    return out;
  });
}

export function applyMenu(Menu: typeof MenuClass, state: MenuState, run: (command: MenuCommand) => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronTemplate(menuTemplate(state), run)));
}
