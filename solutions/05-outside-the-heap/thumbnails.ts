export * from '../../labs/05-outside-the-heap/thumbnails.ts';
