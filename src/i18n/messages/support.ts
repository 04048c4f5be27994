/** Customer service in business communities (issue 12): staff badges, the promise, the queue, ratings, dashboards. */
export const en = {
  'support.staffBadge': 'Staff',
  'support.staffOf': 'Staff of {name}',
  'support.officialAnswer': 'Official answer',
  'support.officialAnswerSr': 'an answer from the staff of {name}, accepted as the solution',
};

export const zhCN: Record<keyof typeof en, string> = {
  'support.staffBadge': '官方',
  'support.staffOf': '{name} 官方人员',
  'support.officialAnswer': '官方回答',
  'support.officialAnswerSr': '来自 {name} 官方人员的回答，已被采纳为解决方案',
};
