/**
 * The attribution line under posts imported from a data dump (CC BY-SA requires it). The
 * pieces sit between links without added spaces, so each carries its own spacing.
 */
export const en = {
  'import.attribution.label': 'Attribution',
  'import.attribution.from': 'Imported from the ',
  'import.attribution.original': 'original post',
  'import.attribution.by': ' by ',
  'import.attribution.licence': ', licensed under ',
};

export const zhCN: Record<keyof typeof en, string> = {
  'import.attribution.label': '署名',
  'import.attribution.from': '导入自',
  'import.attribution.original': '原帖',
  'import.attribution.by': '，作者：',
  'import.attribution.licence': '，许可协议：',
};
