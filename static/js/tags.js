// Tag suggestions after the first tag: a <datalist> matches the whole input value, so once a
// tag and a space are typed its options would no longer match. Each option's value becomes
// "<tags typed so far> <suggestion>", which lets the browser's own list keep suggesting.
(function () {
  'use strict';
  var input = document.querySelector('input[data-tag-input]');
  var list = input && input.list;
  if (!input || !list) return;
  var options = Array.prototype.slice.call(list.querySelectorAll('option[data-tag]'));
  input.addEventListener('input', function () {
    var value = input.value;
    var cut = value.lastIndexOf(' ');
    var prefix = cut >= 0 ? value.slice(0, cut + 1) : '';
    var typed = prefix.split(/\s+/).filter(Boolean);
    options.forEach(function (option) {
      var tag = option.getAttribute('data-tag');
      // A tag already typed is not offered again.
      option.disabled = typed.indexOf(tag) >= 0;
      option.value = prefix + tag;
    });
  });
})();
