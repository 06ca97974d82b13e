/* congbo: "Kiểm tra văn bản". The browser computes the SHA-256 of the chosen file itself (nothing is
   uploaded) and looks it up in kiem-tra/sha256/<first two hex digits>.json, published with the site.
   Every text from the index is inserted with textContent: subjects come from untrusted PDFs. */
(function () {
  "use strict";
  var box = document.getElementById("cb-check");
  var input = document.getElementById("cb-file");
  var out = document.getElementById("cb-check-result");
  if (!box || !input || !out) { return; }
  var root = box.getAttribute("data-root") || "../";
  var PAGE = /^van-ban\/[a-z0-9-]+\/$/;
  var PDF = /^van-ban\/[a-z0-9-]+\.pdf$/;

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined && text !== null) { el.textContent = text; }
    return el;
  }

  function paragraph(parts) {
    var p = node("p");
    parts.forEach(function (part) {
      p.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return p;
  }

  function show(kind, title, blocks) {
    var panel = node("div", "cb-result cb-result--" + kind);
    panel.appendChild(node("h2", null, title));
    blocks.forEach(function (block) { panel.appendChild(block); });
    out.textContent = "";
    out.appendChild(panel);
  }

  function readBytes(file) {
    if (file.arrayBuffer) { return file.arrayBuffer(); }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var s = "";
    for (var i = 0; i < bytes.length; i++) { s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return s;
  }

  /* SHA-256 in plain JavaScript (FIPS 180-4), for browsers without crypto.subtle: old ones, and
     any browser on a page served over plain http. */
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];

  function sha256Plain(buffer) {
    var data = new Uint8Array(buffer);
    var length = data.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(data);
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    var bits = length * 8;
    view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded.length - 4, bits >>> 0);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      var t;
      for (t = 0; t < 16; t++) { w[t] = view.getUint32(offset + t * 4); }
      for (t = 16; t < 64; t++) {
        var x = w[t - 15], y = w[t - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var temp1 = (k + S1 + ch + K[t] + w[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var temp2 = (S0 + maj) | 0;
        k = g; g = f; f = e; e = (d + temp1) | 0; d = c; c = b; b = a; a = (temp1 + temp2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    var result = "";
    for (var i = 0; i < 8; i++) { result += ("00000000" + (h[i] >>> 0).toString(16)).slice(-8); }
    return result;
  }

  function sha256(buffer) {
    var subtle = window.crypto && window.crypto.subtle;
    if (subtle && window.isSecureContext !== false) {
      return subtle.digest("SHA-256", buffer).then(hex, function () { return sha256Plain(buffer); });
    }
    return Promise.resolve(sha256Plain(buffer));
  }

  function lookup(digest) {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      request.open("GET", root + "kiem-tra/sha256/" + digest.slice(0, 2) + ".json");
      request.onload = function () {
        if (request.status !== 200 && request.status !== 0) { reject(new Error("HTTP " + request.status)); return; }
        try {
          var index = JSON.parse(request.responseText);
          resolve(Object.prototype.hasOwnProperty.call(index, digest) ? index[digest] : null);
        } catch (error) { reject(error); }
      };
      request.onerror = function () { reject(new Error("network")); };
      request.send();
    });
  }

  function size(bytes) {
    return bytes < 1024 * 1024 ? Math.max(1, Math.round(bytes / 1024)) + " KB"
      : (bytes / 1024 / 1024).toFixed(1).replace(".", ",") + " MB";
  }

  function facts(file, digest) {
    var p = node("p", "cb-note");
    p.appendChild(document.createTextNode("Tệp đã chọn: " + file.name + " (" + size(file.size) + "). Mã SHA-256: "));
    p.appendChild(node("code", "cb-hash", digest));
    return p;
  }

  function found(file, digest, entry) {
    var heading = (entry.type || "Văn bản") + (entry.number ? " số " + entry.number : "") +
      (entry.issued ? ", ngày " + entry.issued : "");
    var link = node("a", null, entry.subject || heading);
    if (PAGE.test(entry.url)) { link.href = root + entry.url; }
    var parts = [
      paragraph(["Đây đúng là bản gốc của ", node("strong", null, heading), ": ", link, "."]),
      paragraph(["Tệp giống từng byte với tệp đã được kiểm tra chữ ký số và đăng trên Trang thông tin. " +
        "Mở trang văn bản để xem chi tiết chữ ký số."])
    ];
    /* Where the published copy is downloaded: the site's own folder, or the PDF origin configured in
       portal.yml (site.pdf_base_url). Only those two shapes become a link. */
    if (typeof entry.pdf === "string" && (PDF.test(entry.pdf) || /^https?:\/\/[^\s"<>]+\.pdf$/.test(entry.pdf))) {
      var download = node("a", null, "Tải bản gốc đã đăng");
      download.href = PDF.test(entry.pdf) ? root + entry.pdf : entry.pdf;
      parts.push(paragraph([download, "."]));
    }
    parts.push(facts(file, digest));
    show("ok", "Tệp trùng khớp với bản gốc đã ký số được đăng", parts);
  }

  function missing(file, digest, isPdf) {
    var list = node("ul");
    [
      "tệp đã bị thay đổi sau khi tải về, dù chỉ một byte: mở rồi lưu lại bằng phần mềm đọc hoặc sửa PDF, " +
        "ký thêm, nén hay chuyển đổi định dạng;",
      "tệp là bản in ra rồi quét lại, hoặc bản chụp;",
      "văn bản chưa được đăng, hoặc không thuộc loại được công khai trên Trang;",
      "tệp là văn bản giả mạo."
    ].forEach(function (text) { list.appendChild(node("li", null, text)); });
    /* The office's address, phone and e-mail are at the foot of every page (portal.yml site.contact). */
    function contact() {
      var footer = document.getElementById("lien-he");
      if (!footer) { return "liên hệ văn phòng cơ quan ban hành"; }
      var link = node("a", null, "liên hệ văn phòng cơ quan ban hành");
      link.href = "#lien-he";
      var phone = footer.querySelector("[data-contact=phone]"), email = footer.querySelector("[data-contact=email]");
      var span = node("span");
      span.appendChild(link);
      var ways = [phone && "điện thoại " + phone.textContent, email && "thư điện tử " + email.textContent].filter(Boolean);
      if (ways.length) { span.appendChild(document.createTextNode(" (" + ways.join(", ") + ")")); }
      return span;
    }
    var search = node("a", null, "tìm văn bản theo số");
    search.href = root + "tim-kiem/";
    var blocks = [
      paragraph([node("strong", null, "Không có bản gốc nào trên Trang thông tin trùng với tệp này.") ,
        " Đừng dựa vào tệp này như một văn bản đã ký số được công bố. Điều đó có thể có nghĩa:"]),
      list,
      paragraph(["Hãy ", search, " để tải bản gốc từ Trang thông tin, hoặc ", contact(), " để xác minh."])
    ];
    if (!isPdf) { blocks.unshift(paragraph(["Tệp đã chọn không phải là tệp PDF."])); }
    blocks.push(facts(file, digest));
    show("no", "Tệp này không phải là bản gốc được đăng", blocks);
  }

  var label = document.getElementById("cb-file-name");

  function check(file) {
    if (label) { label.textContent = file.name + " (" + size(file.size) + ")"; }
    show("wait", "Đang kiểm tra…", [paragraph(["Đang tính mã băm SHA-256 của tệp trên máy của bạn."])]);
    readBytes(file).then(function (buffer) {
      var head = new Uint8Array(buffer.slice(0, 5));
      var isPdf = String.fromCharCode.apply(null, Array.prototype.slice.call(head)) === "%PDF-";
      return sha256(buffer).then(function (digest) {
        return lookup(digest).then(function (entry) {
          if (entry) { found(file, digest, entry); } else { missing(file, digest, isPdf); }
        });
      });
    }).catch(function () {
      show("wait", "Chưa kiểm tra được", [paragraph([
        "Không đọc được tệp hoặc không tải được danh sách bản gốc (mạng chập chờn?). Hãy thử lại; " +
        "kết quả này không cho biết tệp có phải bản gốc hay không."])]);
    });
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (file) { check(file); } else { out.textContent = ""; }
  });
  box.addEventListener("dragover", function (event) { event.preventDefault(); box.classList.add("cb-check--drop"); });
  box.addEventListener("dragleave", function () { box.classList.remove("cb-check--drop"); });
  box.addEventListener("drop", function (event) {
    event.preventDefault();
    box.classList.remove("cb-check--drop");
    var file = event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files[0];
    if (file) { check(file); }
  });
})();
