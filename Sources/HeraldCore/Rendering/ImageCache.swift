import Foundation

/// Images read once per run, shared by every render worker: a 100k-message image job reads
/// its file once, not once per batch and thread.
final class ImageCache: @unchecked Sendable {
    private let lock = NSLock()
    private var images: [String: Result<ImageAttachment, ImageAttachment.Failure>] = [:]

    func image(at path: String, read: () -> Result<ImageAttachment, ImageAttachment.Failure>) -> Result<ImageAttachment, ImageAttachment.Failure> {
        lock.lock()
        if let cached = images[path] { lock.unlock(); return cached }
        lock.unlock()
        // Read outside the lock; two workers racing on a first read both get the same result.
        let result = read()
        lock.lock()
        images[path] = result
        lock.unlock()
        return result
    }
}
