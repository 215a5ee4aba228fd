/**
 * What a Spring Boot service logs when the sidecar closes its TLS connection to the identity
 * provider during the handshake: an ERROR line, the wrapping exception, then `Caused by:
 * java.net.SocketException: Connection reset` with JDK 17 frames. One string per log line.
 */
export function javaResetTrace(timeIso: string, app: string): string[] {
  const pkg = `com.example.${app.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'app'}`;
  return [
    `${timeIso} ERROR 1 --- [${app}] [nio-8080-exec-3] ${pkg}.identity.TokenValidator : Problem validating service token`,
    `${pkg}.identity.IdentityConnectorException: Problem processing validate token response`,
    `\tat ${pkg}.identity.IdentityConnector.validateToken(IdentityConnector.java:535)`,
    `\tat ${pkg}.identity.IdentityConnector.validateAccessToken(IdentityConnector.java:321)`,
    `\tat ${pkg}.web.OrderController.placeOrder(OrderController.java:88)`,
    `Caused by: java.net.SocketException: Connection reset`,
    `\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:328)`,
    `\tat java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:355)`,
    `\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:976)`,
    `\tat java.base/sun.security.ssl.SSLSocketInputRecord.read(SSLSocketInputRecord.java:489)`,
    `\tat java.base/sun.security.ssl.SSLSocketInputRecord.readHeader(SSLSocketInputRecord.java:483)`,
    `\tat java.base/sun.security.ssl.SSLSocketImpl.startHandshake(SSLSocketImpl.java:451)`,
    `\tat java.base/sun.net.www.protocol.https.HttpsClient.afterConnect(HttpsClient.java:580)`,
    `\t... 42 common frames omitted`,
  ];
}
