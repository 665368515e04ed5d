import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A request's context: Hummingbird's, and the address the request came from (what the
/// sign-in limit per address counts by).
public struct PortalContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection; nil where there is none (a router under test).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's address: the peer's, or — when the peer is this machine (the reverse
    /// proxy the README puts in front of pfs) — the last address of X-Forwarded-For, the one
    /// that proxy appended. A client reaching pfs directly cannot choose its own address.
    func clientAddress(_ request: Request) -> String {
        let peer = remoteAddress?.ipAddress
        let local = peer == nil || peer == "127.0.0.1" || peer == "::1" || peer?.hasPrefix("::ffff:127.") == true
        if local, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").last {
            let address = forwarded.trimmingCharacters(in: .whitespaces)
            if !address.isEmpty, address.count <= 64 { return address }
        }
        return peer ?? "local"
    }
}
