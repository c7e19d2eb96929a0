# Independent reference for MseHandshakeTest's byte vectors: Python ints, hashlib and the
# cryptography package's ARC4 (not the code under test).
import hashlib
from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
from cryptography.hazmat.primitives.ciphers import Cipher
P=int("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563",16)
xa=0x1234567890abcdef1234567890abcdef12345678
xb=0xfedcba0987654321fedcba0987654321fedcba09
ya=pow(2,xa,P).to_bytes(96,'big'); yb=pow(2,xb,P).to_bytes(96,'big')
S=pow(int.from_bytes(yb,'big'),xa,P).to_bytes(96,'big')
skey=bytes(range(1,21))
h=lambda *p: hashlib.sha1(b''.join(p)).digest()
req1=h(b'req1',S); x=bytes(a^b for a,b in zip(h(b'req2',skey),h(b'req3',S)))
def rc4(key):
    e=Cipher(ARC4(key),mode=None).encryptor(); e.update(bytes(1024)); return e
ka=rc4(h(b'keyA',S,skey)); kb=rc4(h(b'keyB',S,skey))
step3_tail=ka.update(bytes(8)+(3).to_bytes(4,'big')+(0).to_bytes(2,'big')+(0).to_bytes(2,'big'))
print("ya", ya.hex()); print("yb", yb.hex())
print("step3", (req1+x+step3_tail).hex())
step4=kb.update(bytes(8)+(2).to_bytes(4,'big')+(0).to_bytes(2,'big'))
print("step4", step4.hex())
print("a_stream", ka.update(b'payload from A').hex())
print("b_stream", kb.update(b'payload from B').hex())
