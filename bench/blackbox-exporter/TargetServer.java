import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** The loopback probe target for the benchmark: a small 200 page (http_2xx) and an open port (tcp_connect). */
public class TargetServer {
  public static void main(String[] args) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 1024);
    byte[] body = "<html><body>benchmark target</body></html>\n".getBytes();
    s.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.start();
  }
}
