import HeraldTemplate

/// Images read once per run, shared by every render worker: a 100k-message image job reads
/// its file once, not once per batch and thread.
final class ImageCache: Sendable {
    private let images = Locked<[String: Result<ImageAttachment, ImageAttachment.Failure>]>([:])

    func image(at path: String, read: () -> Result<ImageAttachment, ImageAttachment.Failure>) -> Result<ImageAttachment, ImageAttachment.Failure> {
        if let cached = images.withLock({ $0[path] }) { return cached }
        // Read outside the lock; two workers racing on a first read both get the same result.
        let result = read()
        images.withLock { $0[path] = result }
        return result
    }
}
