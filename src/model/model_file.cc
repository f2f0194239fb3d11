#include "model/model_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sitrep::model {

namespace {

constexpr char kMagic[8] = {'S', 'I', 'T', 'R', 'E', 'P', 'M', 'D'};

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
bool Get(std::string_view data, size_t* pos, T* v) {
  if (*pos > data.size() || data.size() - *pos < sizeof(T)) return false;
  std::memcpy(v, data.data() + *pos, sizeof(T));
  *pos += sizeof(T);
  return true;
}

}  // namespace

ModelFile::~ModelFile() {
  if (map_) ::munmap(map_, size_);
}

Result<std::unique_ptr<ModelFile>> ModelFile::Open(const std::string& path, std::string_view kind,
                                                   uint32_t kind_version) {
  const std::string fix = " (retrain with `bash scripts/train_models.sh` or restore it from git)";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT) return Status::NotFound(path + ": model file not found");
    return Status::IOError(path + ": " + std::strerror(e));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return Status::IOError(path + ": " + std::strerror(e));
  }
  size_t size = static_cast<size_t>(st.st_size);
  if (size < 40) {
    ::close(fd);
    return Status::Corruption(path + ": too short to be a sitrep model file" + fix);
  }
  // The checksum below reads every page at once: MAP_POPULATE maps them in
  // one call instead of one page fault each (a third of the load time).
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return Status::IOError(path + ": mmap failed: " + std::strerror(errno));
  std::unique_ptr<ModelFile> f(new ModelFile);
  f->map_ = map;
  f->size_ = size;
  std::string_view data(static_cast<const char*>(map), size);
  if (std::memcmp(data.data(), kMagic, 8) != 0)
    return Status::Corruption(path + ": not a sitrep model file (bad magic number)" + fix);
  size_t pos = 8;
  uint32_t version = 0, kind_len = 0, kver = 0, meta_len = 0;
  uint64_t payload_len = 0, checksum = 0;
  if (!Get(data, &pos, &version)) return Status::Corruption(path + ": truncated header" + fix);
  if (version != kModelFormatVersion)
    return Status::Unsupported(path + ": model file format version " + std::to_string(version) +
                               ", this build reads version " +
                               std::to_string(kModelFormatVersion) + fix);
  if (!Get(data, &pos, &kind_len) || data.size() - pos < kind_len)
    return Status::Corruption(path + ": truncated header" + fix);
  f->kind_ = data.substr(pos, kind_len);
  pos += kind_len;
  if (f->kind_ != kind)
    return Status::InvalidArgument(path + ": holds a '" + std::string(f->kind_) +
                                   "' model, expected '" + std::string(kind) + "'");
  if (!Get(data, &pos, &kver)) return Status::Corruption(path + ": truncated header" + fix);
  if (kver != kind_version)
    return Status::Unsupported(path + ": " + std::string(kind) + " model version " +
                               std::to_string(kver) + ", this build reads version " +
                               std::to_string(kind_version) + fix);
  if (!Get(data, &pos, &meta_len) || data.size() - pos < meta_len)
    return Status::Corruption(path + ": truncated metadata" + fix);
  f->meta_ = data.substr(pos, meta_len);
  pos += meta_len;
  pos = (pos + 7) & ~size_t{7};
  if (!Get(data, &pos, &payload_len) || data.size() - pos < 8 ||
      payload_len > data.size() - pos - 8)
    return Status::Corruption(path + ": truncated payload" + fix);
  f->payload_ = data.substr(pos, payload_len);
  pos += payload_len;
  size_t checked = pos;
  Get(data, &pos, &checksum);
  if (pos != data.size()) return Status::Corruption(path + ": trailing bytes after checksum" + fix);
  if (XXH3_64bits(data.data(), checked) != checksum)
    return Status::Corruption(path + ": checksum mismatch, the file is damaged" + fix);
  return f;
}

Status WriteModelFile(const std::string& path, std::string_view kind, uint32_t kind_version,
                      std::string_view meta_json, std::string_view payload) {
  std::string out(kMagic, 8);
  Put(&out, kModelFormatVersion);
  Put(&out, static_cast<uint32_t>(kind.size()));
  out.append(kind);
  Put(&out, kind_version);
  Put(&out, static_cast<uint32_t>(meta_json.size()));
  out.append(meta_json);
  out.resize((out.size() + 7) & ~size_t{7}, '\0');
  Put(&out, static_cast<uint64_t>(payload.size()));
  out.append(payload);
  Put(&out, static_cast<uint64_t>(XXH3_64bits(out.data(), out.size())));
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IOError(tmp + ": " + std::strerror(errno));
  bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return Status::IOError(tmp + ": write failed");
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Status::IOError(path + ": " + std::strerror(errno));
  return Status::Ok();
}

void AppendPayloadBlock(std::string* payload, std::string_view block) {
  const uint64_t len = block.size();
  payload->append(reinterpret_cast<const char*>(&len), 8);
  payload->append(block);
  payload->resize((payload->size() + 7) & ~size_t{7}, '\0');
}

Status SplitPayloadBlocks(std::string_view payload, std::string_view* blocks, int count,
                          std::string_view what) {
  size_t pos = 0;
  for (int i = 0; i < count; ++i) {
    uint64_t len;
    if (payload.size() - pos < 8)
      return Status::Corruption(std::string(what) + " payload truncated");
    std::memcpy(&len, payload.data() + pos, 8);
    pos += 8;
    if (len > payload.size() - pos)
      return Status::Corruption(std::string(what) + " payload truncated");
    blocks[i] = payload.substr(pos, len);
    pos = std::min(payload.size(), (pos + len + 7) & ~size_t{7});
  }
  return Status::Ok();
}

}  // namespace sitrep::model
