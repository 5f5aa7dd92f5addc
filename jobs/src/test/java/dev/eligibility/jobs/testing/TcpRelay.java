package dev.eligibility.jobs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a test server, so a test can take the server off the network
 * mid-request and bring it back with its state intact: {@link #cut()} resets every open
 * connection and refuses new ones (as a stopped server process or a lost route does);
 * {@link #restore()} listens again on the same port.
 */
public final class TcpRelay implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  private TcpRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = listen(0);
    this.port = server.getLocalPort();
    accept(server);
  }

  /** A relay on a free loopback port to {@code 127.0.0.1:targetPort}. */
  public static TcpRelay to(int targetPort) throws IOException {
    return new TcpRelay(targetPort);
  }

  public int port() {
    return port;
  }

  /** Resets every connection and refuses new ones until {@link #restore()}. */
  public void cut() throws IOException {
    server.close();
    for (Socket socket : open) {
      try {
        socket.setSoLinger(true, 0); // RST, not an orderly close
        socket.close();
      } catch (IOException e) {
        // already closed by its pump
      }
    }
    open.clear();
  }

  /** Accepts connections again, on the same port. */
  public void restore() throws IOException {
    server = listen(port);
    accept(server);
  }

  @Override
  public void close() throws IOException {
    cut();
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void accept(ServerSocket listening) {
    Thread acceptor = new Thread(() -> {
      while (!listening.isClosed()) {
        try {
          Socket client = listening.accept();
          Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          open.add(client);
          open.add(target);
          pump(client, target);
          pump(target, client);
        } catch (IOException e) {
          // closed by cut(), or one connection failed: the loop ends or goes on
        }
      }
    }, "tcp-relay-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[1 << 16];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side went away
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }, "tcp-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }
}
