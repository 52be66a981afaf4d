package io.livepatch4j.it.child;

import io.livepatch4j.control.LivePatchJmx;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A JVM started without the agent, running a Netty HTTP server that has served a request (so Netty's
 * pipeline, context and encoder classes are loaded) before the test attaches the agent. Each response
 * names the unit of work its handler ran in, as the agent's status reports it ("no agent" before).
 */
public final class NettyAttachTarget {

    public static void main(String[] args) throws Exception {
        @SuppressWarnings("deprecation") // NioEventLoopGroup: the one constructor Netty 4.1 and 4.2 share
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new KindHandler());
                }
            })
            .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        String before;
        try (InputStream in = URI.create("http://127.0.0.1:" + port + "/").toURL().openStream()) {
            before = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        System.out.println("READY port=" + port + " before=" + before);
        System.out.flush();
        System.in.read(); // until the test closes our input or ends us
        group.shutdownGracefully();
    }

    private static final class KindHandler extends SimpleChannelInboundHandler<HttpObject> {
        private String kind;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest) {
                kind = unitKind();
            }
            if (msg instanceof LastHttpContent) {
                byte[] body = kind.getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                ctx.writeAndFlush(response);
            }
        }
    }

    /** The calling thread's unit of work as the attached agent's status reports it. */
    private static String unitKind() {
        return LivePatchJmx.unitKind();
    }
}
