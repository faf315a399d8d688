import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// Serves HTTP/1 on a listening socket the daemon was given (systemd's socket activation), where
/// Hummingbird's own server can only bind a path or a port. Requests reach the same responder, with
/// the same context, as on Hummingbird's listeners; a graceful shutdown stops accepting and lets
/// open connections finish their request. Closing its copy of the socket leaves systemd's bound.
struct InheritedSocketServer<Responder: HTTPResponder>: Service
where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let descriptor: Int32
    let responder: Responder
    let serverName: String
    let logger: Logger
    let onServerRunning: @Sendable () async -> Void

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: group)
        let logger = logger
        let responder = responder
        let serverName = serverName
        let channelSetup = HTTP1Channel(responder: { request, responseWriter, channel in
            let context = Responder.Context(source: .init(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch {
                logger.debug("unrecognised error", metadata: ["error.type": "\(error)"])
                response = Response(status: .internalServerError)
            }
            response.headers[.server] = serverName
            try await responseWriter.write(response: response.head, body: response.body)
        })
        let server = try await ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .bind(descriptor) { (channel: any Channel) -> EventLoopFuture<HTTP1Channel.Value> in
                channelSetup.setup(channel: channel, logger: logger)
            }
        await withGracefulShutdownHandler {
            await onServerRunning()
            await withDiscardingTaskGroup { connections in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await channelSetup.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("the inherited socket stopped accepting", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            quiescing.initiateShutdown(promise: nil)
        }
    }
}
