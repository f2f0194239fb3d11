#include "io/byte_source.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace sitrep::io {

namespace {

class FdSource : public ByteSource {
 public:
  FdSource(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  Result<size_t> Read(char* buf, size_t cap) override {
    while (true) {
      ssize_t n = ::read(fd_, buf, cap);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      return Status::IOError(name_ + ": " + std::strerror(errno));
    }
  }

 private:
  int fd_;
  bool owned_;
  std::string name_;
};

class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t cap) override {
    size_t n = std::min(cap, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Wraps a raw source; decides from the first bytes whether to inflate (gzip),
// decompress (zstd) or pass bytes through.
class DecodingSource : public ByteSource {
 public:
  DecodingSource(std::unique_ptr<ByteSource> raw, std::string name)
      : raw_(std::move(raw)), name_(std::move(name)), in_(1 << 16) {}
  ~DecodingSource() override {
    if (mode_ == Mode::kGzip) inflateEnd(&zs_);
    if (zd_) ZSTD_freeDCtx(zd_);
  }

  Result<size_t> Read(char* buf, size_t cap) override {
    if (mode_ == Mode::kUnknown) {
      Status st = Detect();
      if (!st.ok()) return st;
    }
    switch (mode_) {
      case Mode::kPlain: return ReadPlain(buf, cap);
      case Mode::kGzip: return ReadGzip(buf, cap);
      case Mode::kZstd: return ReadZstd(buf, cap);
      default: return size_t{0};
    }
  }

 private:
  enum class Mode { kUnknown, kPlain, kGzip, kZstd };

  Status FillInput() {
    if (in_pos_ < in_len_) return Status::Ok();
    auto r = raw_->Read(in_.data(), in_.size());
    if (!r.ok()) return r.status();
    in_pos_ = 0;
    in_len_ = *r;
    if (in_len_ == 0) raw_eof_ = true;
    return Status::Ok();
  }

  Status Detect() {
    // Gather up to 4 bytes for the magic number.
    while (in_len_ < 4 && !raw_eof_) {
      auto r = raw_->Read(in_.data() + in_len_, in_.size() - in_len_);
      if (!r.ok()) return r.status();
      if (*r == 0) raw_eof_ = true;
      in_len_ += *r;
    }
    const unsigned char* m = reinterpret_cast<const unsigned char*>(in_.data());
    if (in_len_ >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
      std::memset(&zs_, 0, sizeof(zs_));
      if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK)
        return Status::IOError(name_ + ": cannot initialize gzip decoder");
      mode_ = Mode::kGzip;
    } else if (in_len_ >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
      zd_ = ZSTD_createDCtx();
      if (!zd_) return Status::IOError(name_ + ": cannot initialize zstd decoder");
      mode_ = Mode::kZstd;
    } else {
      mode_ = Mode::kPlain;
    }
    return Status::Ok();
  }

  Result<size_t> ReadPlain(char* buf, size_t cap) {
    Status st = FillInput();
    if (!st.ok()) return st;
    size_t n = std::min(cap, in_len_ - in_pos_);
    std::memcpy(buf, in_.data() + in_pos_, n);
    in_pos_ += n;
    return n;
  }

  Result<size_t> ReadGzip(char* buf, size_t cap) {
    while (true) {
      if (done_) return size_t{0};
      Status st = FillInput();
      if (!st.ok()) return st;
      if (in_pos_ >= in_len_ && raw_eof_) {
        if (member_started_) return Status::Corruption(name_ + ": truncated gzip stream");
        return size_t{0};
      }
      zs_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
      zs_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
      zs_.next_out = reinterpret_cast<Bytef*>(buf);
      zs_.avail_out = static_cast<uInt>(cap);
      member_started_ = true;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      in_pos_ = in_len_ - zs_.avail_in;
      size_t produced = cap - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        member_started_ = false;
        // Concatenated gzip members continue; trailing garbage ends the stream.
        Status fs = FillInput();
        if (!fs.ok()) return fs;
        const unsigned char* m = reinterpret_cast<const unsigned char*>(in_.data() + in_pos_);
        if (in_pos_ < in_len_ && m[0] == 0x1f) {
          inflateReset(&zs_);
        } else {
          done_ = true;
        }
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status::Corruption(name_ + ": gzip data error" + (zs_.msg ? std::string(": ") + zs_.msg : ""));
      }
      if (produced > 0) return produced;
    }
  }

  Result<size_t> ReadZstd(char* buf, size_t cap) {
    while (true) {
      Status st = FillInput();
      if (!st.ok()) return st;
      if (in_pos_ >= in_len_ && raw_eof_) {
        if (zstd_pending_) return Status::Corruption(name_ + ": truncated zstd stream");
        return size_t{0};
      }
      ZSTD_inBuffer in{in_.data(), in_len_, in_pos_};
      ZSTD_outBuffer out{buf, cap, 0};
      size_t rc = ZSTD_decompressStream(zd_, &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(rc))
        return Status::Corruption(name_ + ": zstd data error: " + ZSTD_getErrorName(rc));
      zstd_pending_ = rc != 0;
      if (out.pos > 0) return out.pos;
    }
  }

  std::unique_ptr<ByteSource> raw_;
  std::string name_;
  std::vector<char> in_;
  size_t in_pos_ = 0, in_len_ = 0;
  bool raw_eof_ = false;
  Mode mode_ = Mode::kUnknown;
  z_stream zs_{};
  bool member_started_ = false;
  bool done_ = false;
  ZSTD_DCtx* zd_ = nullptr;
  bool zstd_pending_ = false;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path) {
  std::unique_ptr<ByteSource> raw;
  if (path == "-") {
    raw = std::make_unique<FdSource>(0, false, "<stdin>");
  } else {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      if (e == ENOENT) return Status::NotFound(path + ": no such file");
      return Status::IOError(path + ": " + std::strerror(e));
    }
    raw = std::make_unique<FdSource>(fd, true, path);
  }
  return std::unique_ptr<ByteSource>(new DecodingSource(std::move(raw), path));
}

std::unique_ptr<ByteSource> MemoryByteSource(std::string data) {
  return std::make_unique<DecodingSource>(std::make_unique<StringSource>(std::move(data)),
                                          "<memory>");
}

LineReader::LineReader(std::unique_ptr<ByteSource> src, uint64_t max_line)
    : src_(std::move(src)), max_line_(max_line), buf_(1 << 18, '\0') {}

bool LineReader::Fill(Status* status) {
  // Move the unread tail to the front, then read more.
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
    consumed_ += pos_;
    len_ -= pos_;
    pos_ = 0;
  }
  if (len_ == buf_.size()) buf_.resize(buf_.size() * 2);
  auto r = src_->Read(buf_.data() + len_, buf_.size() - len_);
  if (!r.ok()) {
    *status = r.status();
    return false;
  }
  if (*r == 0) eof_ = true;
  len_ += *r;
  return true;
}

bool LineReader::Next(std::string* line, bool* overflow, Status* status) {
  *status = Status::Ok();
  *overflow = false;
  line->clear();
  bool any = false;
  line_off_ = consumed_ + pos_;
  while (true) {
    const char* start = buf_.data() + pos_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', len_ - pos_));
    size_t take = nl ? static_cast<size_t>(nl - start) : len_ - pos_;
    if (take > 0) any = true;
    if (!*overflow) {
      size_t room = max_line_ > line->size() ? max_line_ - line->size() : 0;
      if (take > room) {
        line->append(start, room);
        *overflow = true;
      } else {
        line->append(start, take);
      }
    }
    if (nl) {
      pos_ += take + 1;
      break;
    }
    pos_ = len_;
    if (eof_) {
      if (!any) return false;
      break;
    }
    if (!Fill(status)) return false;
    if (eof_ && pos_ == len_) {
      if (!any) return false;
      break;
    }
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  ++line_no_;
  return true;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  auto src = OpenByteSource(path);
  if (!src.ok()) return src.status();
  std::string data;
  char buf[1 << 16];
  while (true) {
    auto r = (*src)->Read(buf, sizeof buf);
    if (!r.ok()) return r.status();
    if (*r == 0) break;
    data.append(buf, *r);
  }
  return data;
}

}  // namespace sitrep::io
