/** The update feed for electron-updater (issue 6): see ./routes for registration, ./feed for the layout and staging rule. */
export { registerUpdateFeed, bearerTokenAuthorizer, anyAuthorizer, type UpdateFeedOptions } from './routes';
export { UpdateFeedStore, FeedError, parseUpdateInfo, sha512OfFile, type PublishResult } from './store';
export { stagingDecision, stagingBucket, stagingPercentOf, feedFileKind, isValidChannel, STAGING_HEADER, SHA512_HEADER, type StagingDecision, type UpdateInfo } from './feed';
