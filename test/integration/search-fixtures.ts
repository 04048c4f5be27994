/*
 * Content for the search tests, written straight through the storage ports (the same
 * repository methods the Q&A service uses), so the index is filled by the real triggers.
 */
import type { Storage } from '../../src/db/ports.js';
import type { Community, User } from '../../src/domain/types.js';

export interface SeededPost {
  id: string;
  questionId: string;
}

export class SearchSeeder {
  private clock = Date.UTC(2024, 0, 1);
  private users = 0;

  constructor(readonly storage: Storage) {}

  async user(name = `user${++this.users}`): Promise<User> {
    return this.storage.users.create({ username: name, email: `${name}@example.test`, displayName: name, passwordHash: 'x' });
  }

  async community(slug: string, name = slug): Promise<Community> {
    return this.storage.communities.create({ slug, name, kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
  }

  async question(community: Community, author: User, title: string, body: string, tags: string[] = ['general'], at?: number): Promise<SeededPost> {
    this.clock += 60_000;
    const q = await this.storage.posts.createQuestion({
      communityId: community.id,
      authorId: author.id,
      title,
      slug: title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'q',
      bodyMd: body,
      bodyHtml: `<p>${body}</p>`,
      bodyText: body,
      tags,
      now: at ?? this.clock,
    });
    return { id: q.id, questionId: q.id };
  }

  async answer(questionId: string, author: User, body: string, at?: number): Promise<SeededPost> {
    this.clock += 60_000;
    const a = await this.storage.posts.createAnswer({ questionId, authorId: author.id, bodyMd: body, bodyHtml: `<p>${body}</p>`, bodyText: body, now: at ?? this.clock });
    return { id: a.id, questionId };
  }
}
