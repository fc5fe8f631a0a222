# bench/resp.py: what bench/fair-scripts.py and bench/fair-scripts-mixed.py share: a minimal Redis
# client on one loopback socket (RESP2: commands out, replies in as str, None or lists; an error
# reply raises) and the queue's Lua scripts assembled as queue-core's LuaScript does (--!include).
import os, re, socket


def assemble(scripts_dir, name):
    """The script with every '--!include FILE' line replaced by that file of the same folder, recursively."""
    text = open(os.path.join(scripts_dir, name)).read()
    return re.sub(r'(?m)^--!include (\S+)$', lambda m: assemble(scripts_dir, m.group(1)), text)


class Redis:
    def __init__(self, port, host='127.0.0.1'):
        self.sock = socket.create_connection((host, port))
        self.file = self.sock.makefile('rb')

    def cmd(self, *args):
        out = [b'*%d\r\n' % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b'$%d\r\n%s\r\n' % (len(a), a))
        self.sock.sendall(b''.join(out))
        return self.read()

    def read(self):
        line = self.file.readline().rstrip(b'\r\n')
        t, rest = line[:1], line[1:]
        if t in (b'+', b':'):
            return rest.decode()
        if t == b'-':
            raise Exception(rest.decode())
        if t == b'$':
            n = int(rest)
            return None if n < 0 else self.file.read(n + 2)[:-2].decode()
        if t == b'*':
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise Exception('unexpected reply from Redis: %r' % line)
