import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `tapisd-bench delay-proxy`: a TCP relay on 127.0.0.1 that holds every chunk it reads for a fixed
/// delay in each direction before passing it on, to measure transfers over a link with a round trip
/// (this kernel has no netem). Throughput is not limited otherwise: each direction reads as fast as
/// the sender sends, queues the chunks with the time they are due, and a second thread writes them
/// out when due (up to 256 MiB waiting per direction, then the reader pauses). Prints the port it
/// listens on as its first line; runs until killed.
struct SFTPDelayProxy: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delay-proxy", abstract: "A TCP relay on 127.0.0.1 adding a delay each way.")

    @Option(help: "The port to relay to on 127.0.0.1.") var targetPort: Int
    @Option(help: "The port to listen on (0: any free port).") var listenPort = 0
    @Option(help: "The delay added in each direction, in milliseconds.") var delayMs = 10

    func run() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw ValidationError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: listenPort)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw ValidationError("cannot listen on 127.0.0.1:\(listenPort): \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        FileHandle.standardOutput.write(Data("\(UInt16(bigEndian: address.sin_port))\n".utf8))
        let delay = Duration.milliseconds(delayMs)
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                throw ValidationError("accept: \(String(cString: strerror(errno)))")
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var target = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard server >= 0, connected == 0 else {
                FileHandle.standardError.write(Data("delay-proxy: cannot reach 127.0.0.1:\(targetPort): \(String(cString: strerror(errno)))\n".utf8))
                close(client)
                if server >= 0 { close(server) }
                continue
            }
            for descriptor in [client, server] {
                setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            let connection = DelayedConnection(client: client, server: server)
            DelayedDirection(from: client, to: server, delay: delay, connection: connection).start()
            DelayedDirection(from: server, to: client, delay: delay, connection: connection).start()
        }
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// The two sockets of one relayed connection, closed when both directions have ended.
private final class DelayedConnection: @unchecked Sendable {
    // `open` is guarded by `lock`; the descriptors are set once.
    private let lock = NSLock()
    private var open = 2
    let client: Int32
    let server: Int32

    init(client: Int32, server: Int32) {
        self.client = client
        self.server = server
    }

    func directionEnded() {
        lock.lock()
        open -= 1
        let last = open == 0
        lock.unlock()
        if last {
            close(client)
            close(server)
        }
    }
}

/// One direction of a relayed connection: a reader thread queues chunks stamped with when they are
/// due, a writer thread sends each when its time comes.
private final class DelayedDirection: @unchecked Sendable {
    // `chunks`, `queued` and `ended` are guarded by `condition`; the rest is set once.
    private let condition = NSCondition()
    private var chunks: [(due: ContinuousClock.Instant, bytes: [UInt8])] = []
    private var head = 0
    private var queued = 0
    private var ended = false
    private let source: Int32
    private let destination: Int32
    private let delay: Duration
    private let connection: DelayedConnection
    private static let chunkSize = 256 << 10
    private static let queueLimit = 256 << 20

    init(from source: Int32, to destination: Int32, delay: Duration, connection: DelayedConnection) {
        self.source = source
        self.destination = destination
        self.delay = delay
        self.connection = connection
    }

    func start() {
        Thread { self.readLoop() }.start()
        Thread { self.writeLoop() }.start()
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            condition.lock()
            if count <= 0 {
                ended = true
                condition.broadcast()
                condition.unlock()
                return
            }
            chunks.append((ContinuousClock.now + delay, Array(buffer[0..<count])))
            queued += count
            condition.broadcast()
            while queued > Self.queueLimit && !ended { condition.wait() }
            condition.unlock()
        }
    }

    private func writeLoop() {
        defer { connection.directionEnded() }
        while true {
            condition.lock()
            while head == chunks.count && !ended { condition.wait() }
            if head == chunks.count {
                condition.unlock()
                shutdown(destination, Int32(SHUT_WR))
                return
            }
            let (due, bytes) = chunks[head]
            chunks[head].bytes = []
            head += 1
            if head > 1024 && head * 2 > chunks.count {
                chunks.removeFirst(head)
                head = 0
            }
            condition.unlock()
            let wait = due - ContinuousClock.now
            if wait > .zero {
                var time = timespec(tv_sec: Int(wait.components.seconds), tv_nsec: Int(wait.components.attoseconds / 1_000_000_000))
                var left = timespec()
                while nanosleep(&time, &left) != 0 && errno == EINTR { time = left }
            }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { write(destination, $0.baseAddress! + offset, bytes.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    // The peer is gone: stop reading the other side too.
                    shutdown(source, Int32(SHUT_RD))
                    condition.lock()
                    ended = true
                    chunks.removeAll()
                    head = 0
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                offset += written
            }
            condition.lock()
            queued -= bytes.count
            condition.broadcast()
            condition.unlock()
        }
    }
}
