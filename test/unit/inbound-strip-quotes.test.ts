import { describe, expect, it } from 'vitest';
import { stripQuotedReply } from '../../src/services/inbound/strip-quotes.js';

/* Replies as real clients write them: only what the member typed is posted. */

describe('stripQuotedReply', () => {
  it('Gmail: "On … wrote:" (also wrapped over two lines) and the > quote go', () => {
    const gmail = 'Thanks, descaling fixed it.\n\nOn Fri, Dec 4, 2026 at 10:02 AM Community Help <\nno-reply@forum.test> wrote:\n\n> Bob answered your question\n> Descale the machine.\n';
    expect(stripQuotedReply(gmail)).toBe('Thanks, descaling fixed it.');
    expect(stripQuotedReply('Yes it works.\r\n\r\nOn Fri, 4 Dec 2026 at 10:02, Bob <bob@example.test> wrote:\r\n> old\r\n')).toBe('Yes it works.');
  });

  it('Outlook: "-----Original Message-----" and the From:/Sent: header block', () => {
    expect(stripQuotedReply('I tried that already.\n\n-----Original Message-----\nFrom: Community Help <no-reply@forum.test>\nSent: Friday, December 4, 2026 10:02 AM\nSubject: answer\n\nBody')).toBe('I tried that already.');
    expect(stripQuotedReply('Still broken after the update.\n\n________________________________\nFrom: Community Help <no-reply@forum.test>\nSent: Friday, December 4, 2026 10:02\nTo: Li Lei\nSubject: RE: grinder\n\nold text')).toBe('Still broken after the update.');
    expect(stripQuotedReply('Works now.\n\nFrom: Community Help <no-reply@forum.test>\nDate: Friday, 4 December 2026\nTo: me\n\nold')).toBe('Works now.');
  });

  it('Apple Mail: "On … wrote:" and "Sent from my iPhone"', () => {
    expect(stripQuotedReply('Great, thank you!\n\nSent from my iPhone\n\n> On 4 Dec 2026, at 10:02, Community Help <no-reply@forum.test> wrote:\n>\n> Bob answered')).toBe('Great, thank you!');
  });

  it('Chinese clients: "在 … 写道：", "发件人:", "原始邮件", "发自我的iPhone"', () => {
    expect(stripQuotedReply('谢谢，清洗之后好了。\n\n在 2026年12月4日 星期五 10:02，Community Help <no-reply@forum.test> 写道：\n> 鲍勃回答了你的问题')).toBe('谢谢，清洗之后好了。');
    expect(stripQuotedReply('我已经试过了，还是不行。\n\n发件人: Community Help <no-reply@forum.test>\n发送时间: 2026年12月4日 10:02\n收件人: 李雷\n主题: 回复：磨豆机\n\n旧内容')).toBe('我已经试过了，还是不行。');
    expect(stripQuotedReply('好的\n收到，马上试。\n\n------------------ 原始邮件 ------------------\n发件人: "Community Help"\n旧内容')).toBe('好的\n收到，马上试。');
    expect(stripQuotedReply('可以了。\n\n发自我的iPhone\n\n------------------ Original ------------------')).toBe('可以了。');
  });

  it('the "-- " signature goes; text that merely mentions these words stays', () => {
    expect(stripQuotedReply('Use a finer grind.\n\n-- \nLi Lei\nHead barista, Example Coffee\n+86 10 1234 5678')).toBe('Use a finer grind.');
    const plain = 'From: my experience the grinder matters most.\nOn some machines the steam wand wrote: nothing.';
    expect(stripQuotedReply(plain)).toBe(plain);
  });
});
