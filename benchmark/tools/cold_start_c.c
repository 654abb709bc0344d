/* dynantic_cold_start_c: the floor of a cold start, for benchmark/tools/cold_start_fixed.cpp.
 *
 *   dynantic_cold_start_c http://127.0.0.1:PORT
 *
 * A statically linked C program (no dynamic loader, no libraries to map, no static
 * constructors) that sends one GetItem request, with the headers dynantic sends (a SigV4-shaped
 * Authorization, not computed), with one write(2) on a new TCP connection to an IPv4 literal, and
 * reads the response until its Content-Length is complete. Exit status 0 when the server answered
 * 200, 1 otherwise. What any program pays to start, ask once over loopback and exit. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static const char body[] = "{\"TableName\":\"bench\",\"Key\":{\"pk\":{\"S\":\"user#000042\"},\"sk\":{\"S\":\"profile#0000\"}}}";

int main(int argc, char** argv) {
    if (argc != 2 || strncmp(argv[1], "http://", 7) != 0) {
        fprintf(stderr, "usage: %s http://127.0.0.1:PORT\n", argv[0]);
        return 2;
    }
    char host[64];
    const char* authority = argv[1] + 7;
    const char* colon = strchr(authority, ':');
    if (colon == NULL || (size_t)(colon - authority) >= sizeof host) return 2;
    memcpy(host, authority, (size_t)(colon - authority));
    host[colon - authority] = '\0';
    const int port = atoi(colon + 1);

    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) return 2;

    char request[2048];
    const int n = snprintf(request, sizeof request,
                           "POST / HTTP/1.1\r\nHost: %s:%d\r\n"
                           "Content-Type: application/x-amz-json-1.0\r\n"
                           "X-Amz-Target: DynamoDB_20120810.GetItem\r\n"
                           "X-Amz-Date: 20240101T000000Z\r\n"
                           "Authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCHMARK/20240101/us-east-1/dynamodb/"
                           "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                           "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n"
                           "Connection: keep-alive\r\nContent-Length: %zu\r\n\r\n%s",
                           host, port, sizeof body - 1, body);
    if (n <= 0 || (size_t)n >= sizeof request) return 2;

    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    if (fd < 0 || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
        connect(fd, (const struct sockaddr*)&address, sizeof address) != 0 || write(fd, request, (size_t)n) != n)
        return 1;

    static char response[1 << 20];
    size_t have = 0, need = (size_t)-1;
    while (have < need) {
        if (have == sizeof response) return 1;
        const ssize_t r = read(fd, response + have, sizeof response - have);
        if (r <= 0) return 1;
        have += (size_t)r;
        if (need == (size_t)-1) {
            response[have < sizeof response ? have : sizeof response - 1] = '\0';
            const char* end = strstr(response, "\r\n\r\n");
            if (end == NULL) continue;
            size_t length = 0;
            for (const char* line = strstr(response, "\r\n"); line != NULL && line < end; line = strstr(line + 2, "\r\n"))
                if (strncasecmp(line + 2, "content-length:", 15) == 0) length = strtoul(line + 17, NULL, 10);
            need = (size_t)(end - response) + 4 + length;
        }
    }
    close(fd);
    return strncmp(response, "HTTP/1.1 200", 12) == 0 ? 0 : 1;
}
