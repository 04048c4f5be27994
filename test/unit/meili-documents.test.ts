import { describe, expect, it } from 'vitest';
import type { SearchDocument } from '../../src/search/port.js';
import { toMeiliDocument } from '../../src/search/meili/documents.js';

const question: SearchDocument = {
  kind: 'question', id: '12', communityId: '3', questionId: '12', title: 'Kettle', slug: 'kettle', bodyText: 'Which kettle?',
  tags: ['water'], score: 2, answerCount: 0, accepted: false, createdAt: 1000, communityName: 'Home coffee roasting',
};

describe('Meilisearch documents', () => {
  it('stores a question under its search id with the fields filters and ranking need', () => {
    expect(toMeiliDocument({ ...question, activeAt: 2000 })).toEqual({
      docId: 'question-12', kind: 'question', id: '12', communityId: '3', questionId: '12', title: 'Kettle', slug: 'kettle', body: 'Which kettle?',
      tags: ['water'], faqPath: [], communityName: 'Home coffee roasting', score: 2, answerCount: 0, accepted: false, answered: false, createdAt: 1000, activeAt: 2000, curated: 0, thread: 'q12',
    });
    expect(toMeiliDocument(question).activeAt).toBe(1000);
    // A document built without a name (an older repository) still has the searchable attribute.
    expect(toMeiliDocument({ ...question, communityName: undefined }).communityName).toBe('');
  });

  it('ranks FAQ entries above accepted answers above the rest, and counts them as answered', () => {
    expect(toMeiliDocument({ ...question, kind: 'faq', id: '4', questionId: null, accepted: false, faqPath: ['Machines', 'Cleaning'] })).toMatchObject({
      docId: 'faq-4', curated: 2, answered: true, accepted: true, faqPath: ['Machines', 'Cleaning'],
    });
    expect(toMeiliDocument({ ...question, kind: 'answer', id: '13', accepted: true, answerCount: 1 })).toMatchObject({ docId: 'answer-13', curated: 1, answered: true });
    expect(toMeiliDocument({ ...question, kind: 'answer', id: '14', accepted: false, answerCount: 0 })).toMatchObject({ curated: 0, answered: true });
    expect(toMeiliDocument({ ...question, accepted: true, answerCount: 2 })).toMatchObject({ curated: 1, answered: true });
  });

  it('keys a question and its answers by their thread, and an FAQ entry apart from its source thread', () => {
    expect(toMeiliDocument({ ...question, kind: 'answer', id: '13', questionId: '12' }).thread).toBe('q12');
    expect(toMeiliDocument({ ...question, kind: 'faq', id: '12', questionId: '12' }).thread).toBe('f12');
    expect(toMeiliDocument({ ...question, kind: 'faq', id: '4', questionId: null }).thread).toBe('f4');
  });

  it('strips the private highlight markers so stored text can never fake a highlight', () => {
    const doc = toMeiliDocument({ ...question, title: 'a\u0001b\u0002c', bodyText: '\u0001x\u0002', tags: ['t\u0001'], communityName: 'C\u0002' });
    expect(doc.title).toBe('abc');
    expect(doc.body).toBe('x');
    expect(doc.tags).toEqual(['t']);
    expect(doc.communityName).toBe('C');
  });
});
