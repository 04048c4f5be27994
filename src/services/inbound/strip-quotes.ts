/*
 * Cuts a mail reply down to what its author wrote: quoted history (the line a client writes
 * above it — Gmail and Apple Mail "On … wrote:", Outlook "-----Original Message-----" or a
 * From:/Sent: block, Chinese clients "在 … 写道：", "发件人:", "原始邮件"), ">" quoted lines,
 * the "-- " signature and "Sent from my phone" lines. Works on plain text; HTML-only mail is
 * converted to text first.
 */

const HISTORY_MARKERS: RegExp[] = [
  /^-{2,}\s*(original message|forwarded message|原始邮件|转发的邮件)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^在.{1,200}写道[:：]\s*$/,
  /^于.{1,200}写道[:：]\s*$/,
];
const SIGNATURE = /^--$/;
const DEVICE_LINES = /^(sent from my \w+|get outlook for \w+|发自我的\s*\S+|从我的\s*\S+\s*发送)\s*$/i;
const HEADER_BLOCK_START = /^\*?(from|发件人|寄件者)\s*[:：]/i;
const HEADER_BLOCK_NEXT = /^\*?(sent|date|to|subject|发送时间|时间|日期|收件人|主题)\s*[:：]/i;

function isWroteLine(line: string, next: string | undefined): number {
  // Gmail wraps long "On <date> <name> <address> wrote:" lines: accept it over two lines.
  if (/^on\s.{1,250}wrote:\s*$/i.test(line)) return 1;
  if (/^on\s/i.test(line) && next !== undefined && /wrote:\s*$/i.test(next) && line.length + next.length < 300) return 2;
  if (/^(le|am|el)\s.{1,200}(a écrit|schrieb|escribió)\s*:\s*$/i.test(line)) return 1;
  return 0;
}

export function stripQuotedReply(input: string): string {
  const lines = input.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // "-- " is the standard signature separator; some clients trim its space.
    if (SIGNATURE.test(lines[i]!.trimEnd()) || lines[i] === '-- ') {
      end = i;
      break;
    }
    if (HISTORY_MARKERS.some((re) => re.test(line)) || isWroteLine(line, lines[i + 1]?.trim()) > 0 || DEVICE_LINES.test(line)) {
      end = i;
      break;
    }
    if (HEADER_BLOCK_START.test(line) && lines.slice(i + 1, i + 4).some((l) => HEADER_BLOCK_NEXT.test(l.trim()))) {
      end = i;
      break;
    }
  }
  return lines
    .slice(0, end)
    .filter((l) => !/^\s*>/.test(l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
